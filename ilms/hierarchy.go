package ilms

import (
	"context"
	"net/http"
)

// HierarchyService covers User Hierarchy: regions, their divisions, and the
// divisions' departments. Users name them in F019, F020 and F021.
type HierarchyService service

// Unit is a region, division or department.
type Unit struct {
	ID            int64  `json:"ID"`
	Name          string `json:"Name"`
	NumberOfUsers int    `json:"NumberOfUsers"`
}

type nameBody struct {
	Name string `json:"name"`
}

func (s *HierarchyService) regions(ids ...int64) string {
	segs := []string{"regions"}
	if len(ids) > 0 {
		segs = append(segs, id(ids[0]))
	}
	if len(ids) > 1 {
		segs = append(segs, "divisions", id(ids[1]))
	}
	if len(ids) > 2 {
		segs = append(segs, "departments", id(ids[2]))
	}
	return s.client.orgPath(segs...)
}

// Regions returns every region. GET /organizations/{orgID}/regions
func (s *HierarchyService) Regions() *Pager[Unit] {
	return newPager[Unit](s.client, s.regions(), nil, nil)
}

// CreateRegion creates a region and returns its ID. POST /organizations/{orgID}/regions
func (s *HierarchyService) CreateRegion(ctx context.Context, name string) (int64, error) {
	return s.client.create(ctx, s.regions(), nil, nameBody{name})
}

// RenameRegion renames a region. PUT /organizations/{orgID}/regions/{regionID}
func (s *HierarchyService) RenameRegion(ctx context.Context, regionID int64, name string) error {
	_, err := s.client.do(ctx, http.MethodPut, s.regions(regionID), nil, nameBody{name}, nil)
	return err
}

// DeleteRegion deletes a region. DELETE /organizations/{orgID}/regions/{regionID}
func (s *HierarchyService) DeleteRegion(ctx context.Context, regionID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.regions(regionID), nil, nil, nil)
	return err
}

// Divisions returns the divisions of a region.
// GET /organizations/{orgID}/regions/{regionID}/divisions
func (s *HierarchyService) Divisions(regionID int64) *Pager[Unit] {
	return newPager[Unit](s.client, s.regions(regionID)+"/divisions", nil, nil)
}

// CreateDivision creates a division in a region and returns its ID.
// POST /organizations/{orgID}/regions/{regionID}/divisions
func (s *HierarchyService) CreateDivision(ctx context.Context, regionID int64, name string) (int64, error) {
	return s.client.create(ctx, s.regions(regionID)+"/divisions", nil, nameBody{name})
}

// RenameDivision renames a division.
// PUT /organizations/{orgID}/regions/{regionID}/divisions/{divisionID}
func (s *HierarchyService) RenameDivision(ctx context.Context, regionID, divisionID int64, name string) error {
	_, err := s.client.do(ctx, http.MethodPut, s.regions(regionID, divisionID), nil, nameBody{name}, nil)
	return err
}

// DeleteDivision deletes a division.
// DELETE /organizations/{orgID}/regions/{regionID}/divisions/{divisionID}
func (s *HierarchyService) DeleteDivision(ctx context.Context, regionID, divisionID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.regions(regionID, divisionID), nil, nil, nil)
	return err
}

// Departments returns the departments of a division.
// GET /organizations/{orgID}/regions/{regionID}/divisions/{divisionID}/departments
func (s *HierarchyService) Departments(regionID, divisionID int64) *Pager[Unit] {
	return newPager[Unit](s.client, s.regions(regionID, divisionID)+"/departments", nil, nil)
}

// CreateDepartment creates a department in a division and returns its ID.
// POST /organizations/{orgID}/regions/{regionID}/divisions/{divisionID}/departments
func (s *HierarchyService) CreateDepartment(ctx context.Context, regionID, divisionID int64, name string) (int64, error) {
	return s.client.create(ctx, s.regions(regionID, divisionID)+"/departments", nil, nameBody{name})
}

// RenameDepartment renames a department.
// PUT /organizations/{orgID}/regions/{regionID}/divisions/{divisionID}/departments/{deptID}
func (s *HierarchyService) RenameDepartment(ctx context.Context, regionID, divisionID, deptID int64, name string) error {
	_, err := s.client.do(ctx, http.MethodPut, s.regions(regionID, divisionID, deptID), nil, nameBody{name}, nil)
	return err
}

// DeleteDepartment deletes a department.
// DELETE /organizations/{orgID}/regions/{regionID}/divisions/{divisionID}/departments/{deptID}
func (s *HierarchyService) DeleteDepartment(ctx context.Context, regionID, divisionID, deptID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.regions(regionID, divisionID, deptID), nil, nil, nil)
	return err
}
